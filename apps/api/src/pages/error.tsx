import { SearchForm } from "./home.tsx";
import { Layout, type PageMeta } from "./layout.tsx";

/** The HTML face of a problem: what was wrong, in the problem's own words, and a way on. */
export function ErrorPage(props: {
  meta: PageMeta;
  status: number;
  title: string;
  detail: string;
  issues?: readonly string[] | undefined;
}) {
  return (
    <Layout meta={props.meta}>
      <div class="problem">
        <p class="meta">Error {props.status}</p>
        <h1>{props.title}</h1>
        <p class="lead">{props.detail}</p>
        {props.issues?.length ? (
          <ul>
            {props.issues.map((i) => (
              <li>{i}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <h2>Look a code up instead</h2>
      <SearchForm />
    </Layout>
  );
}
