// TokenForge web app entry: the shell and the home page render at once; every
// other page, the wallet code and the chain readers load on demand.
import { render } from "preact";
import { App, prefetchPath } from "./app";
import { installLinkHandler } from "./router";
import { loadSession } from "./session";
import "./style.css";

installLinkHandler(prefetchPath);
prefetchPath(location.pathname); // the landing page's chunk, fetched alongside the first render
void loadSession();
render(<App />, document.getElementById("app")!);
