import { Layout } from "./layout.tsx";

/** A refused request as a page: the problem's title and what to do. */
export function ErrorPage(props: {
  version: string;
  status: number;
  title: string;
  detail: string;
  formToken?: string | undefined;
}) {
  return (
    <Layout title={props.title} version={props.version} formToken={props.formToken}>
      <div class="problem">
        <p class="muted">Error {props.status}</p>
        <h1>{props.title}</h1>
        <p>{props.detail}</p>
      </div>
      <p>
        <a href="/ui">Back to the status page</a>
      </p>
    </Layout>
  );
}
