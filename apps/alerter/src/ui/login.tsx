import { Layout } from "./layout.tsx";

/** The login form: the management token as password; it sets the session cookie. */
export function LoginPage(props: { version: string; next: string; failed: boolean }) {
  return (
    <Layout title="Log in" version={props.version}>
      <h1>Log in to the status page</h1>
      <p>
        Use the management API token (<code>api.token</code> in the config, else{" "}
        <code>apiToken</code> in the data directory's <code>secrets.json</code>). HTTP Basic with
        that token as the password works too.
      </p>
      {props.failed ? (
        <p class="error" role="alert">
          That token is not the management token.
        </p>
      ) : null}
      <form class="stack" method="post" action="/ui/login">
        <input type="hidden" name="next" value={props.next} />
        <div class="field">
          <label for="token">Management token</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid={props.failed ? "true" : undefined}
          />
        </div>
        <div>
          <button type="submit">Log in</button>
        </div>
      </form>
    </Layout>
  );
}
