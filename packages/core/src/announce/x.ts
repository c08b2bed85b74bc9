// X API v2 "Create Post" (POST /2/tweets, https://docs.x.com/x-api/posts/creation-of-a-post)
// with an OAuth 2.0 user-context access token (tweet.write). One account may post
// a few hundred times per three hours, so X gets a daily digest, never a post per launch.
import { xOutcome, type SendOutcome } from "./outcome";
import { postJson, type Fetch } from "./http";

export const X_API = "https://api.x.com";
/** A post's length limit for a standard account (weighted count; our digest stays within it in plain code points). */
export const X_MAX_CHARS = 280;

export function createPost(accessToken: string, text: string, opts: { apiBase?: string; fetch?: Fetch; now?: () => number } = {}): Promise<SendOutcome> {
  const base = (opts.apiBase ?? X_API).replace(/\/$/, "");
  return postJson(`${base}/2/tweets`, { text }, xOutcome, { ...opts, headers: { authorization: `Bearer ${accessToken}` } });
}
