import { PageTitle, usePageTitle } from "../components";

export default function NotFound(_: { params: Record<string, string> }) {
  usePageTitle("Page not found");
  return (
    <section>
      <PageTitle>Page not found</PageTitle>
      <p>There is no page at this address.</p>
      <p>
        <a href="/">Home</a> · <a href="/launch">Launch a token</a> · <a href="/tokens">Explore tokens</a>
      </p>
    </section>
  );
}
