import type { Child } from "hono/jsx";
import { CSS } from "./style.ts";

export type Section = "incidents" | "notifications" | "silences";

const NAV: readonly [Section, string, string][] = [
  ["incidents", "/ui", "Incidents"],
  ["notifications", "/ui/notifications", "Notifications"],
  ["silences", "/ui/silences", "Silences"],
];

/** Every status page: one inline stylesheet (allowed by hash), no script; navigation once logged in. */
export function Layout(props: {
  title: string;
  current?: Section | undefined;
  /** The session's form token: shown pages have a logout button. */
  formToken?: string | undefined;
  version: string;
  children: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${props.title} · sipcodes alerter`}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to the content
        </a>
        <header>
          <a class="brand" href="/ui">
            sipcodes alerter
          </a>
          {props.formToken ? (
            <>
              <nav aria-label="Status page">
                <ul>
                  {NAV.map(([id, href, label]) => (
                    <li>
                      <a href={href} aria-current={props.current === id ? "page" : undefined}>
                        {label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <form method="post" action="/ui/logout">
                <input type="hidden" name="csrf" value={props.formToken} />
                <button type="submit" class="secondary">
                  Log out
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer>
          <p>
            Alerter {props.version}. The same facts as JSON: the management API under{" "}
            <code>/v1</code>.
          </p>
        </footer>
      </body>
    </html>
  );
}
