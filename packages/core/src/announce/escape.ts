// Text from users (token names) inside posts to Discord, Telegram and X: each
// platform turns some text into formatting, links or pings, so a hostile name
// like "@everyone [x](http://evil) <b>" must arrive as the characters it is and
// nothing more. Two layers, both pure:
//  1. defang: breaks what every platform auto-detects in plain text — URLs with a
//     scheme, bare domains ("evil.com"), @mentions, #hashtags and $cashtags — by a
//     zero-width space (U+200B) after the trigger. Names never contain U+200B
//     (names.ts refuses invisible characters), so it is ours alone.
//  2. the platform's own markup: Discord markdown (every ASCII punctuation
//     escaped with a backslash, which its parser always reads as the literal
//     character), Telegram's HTML parse mode (&, <, > as entities), X plain text.
const ZWSP = "\u200b";

export function defang(text: string): string {
  return text
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/[@#$＠＃]/g, (c) => c + ZWSP)
    .replace(/([\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, `$1.${ZWSP}`);
}

/** For Discord message content and embed text (markdown: bold, links, headings, lists, mentions like <@id>). */
export function escapeDiscord(text: string): string {
  return defang(text).replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/** For Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style). */
export function escapeTelegramHtml(text: string): string {
  return defang(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** For X: no markup, but mentions, hashtags, cashtags and URLs are linked. */
export function escapeX(text: string): string {
  return defang(text);
}
