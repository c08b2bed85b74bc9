// What a launch announcement says on each platform, and the X digest: pure, so
// the escaping of hostile names is tested on the very text we send.
import { z } from "zod";
import type { DiscordMessage } from "./discord";
import { escapeDiscord, escapeTelegramHtml, escapeX } from "./escape";
import { X_MAX_CHARS } from "./x";

/** Messages on the "tf-announcements" queue: a confirmed launch (fanned out), then one post per destination. */
export const AnnounceMessage = z.discriminatedUnion("kind", [
  // requestId: the id of the request that created the launch, so every log line of its announcement carries it (core trace.ts).
  z.object({ kind: z.literal("launch"), launchId: z.string(), at: z.number(), requestId: z.string().optional() }),
  z.object({ kind: z.literal("post"), launchId: z.string(), destinationId: z.string(), requestId: z.string().optional() }),
]);
export type AnnounceMessage = z.infer<typeof AnnounceMessage>;

export const ANNOUNCE_PLATFORMS = ["discord", "telegram"] as const;
export type AnnouncePlatform = (typeof ANNOUNCE_PLATFORMS)[number];

export type LaunchFacts = {
  name: string;
  symbol: string;
  chainName: string;
  address: string;
  totalSupply: string;
  /** Built by us from the chain registry (never from user text), or null. */
  explorerUrl: string | null;
  confirmedAt: number;
};

const DISCORD_BLUE = 0x5865f2;

export function discordAnnouncement(f: LaunchFacts): DiscordMessage {
  return {
    username: "TokenForge",
    embeds: [
      {
        title: `New token: ${escapeDiscord(f.name)} (${escapeDiscord(f.symbol)})`,
        ...(f.explorerUrl ? { url: f.explorerUrl } : {}),
        color: DISCORD_BLUE,
        timestamp: new Date(f.confirmedAt).toISOString(),
        fields: [
          { name: "Chain", value: escapeDiscord(f.chainName), inline: true },
          { name: "Supply", value: escapeDiscord(f.totalSupply), inline: true },
          // In a code span nothing is markdown; the address is hex or base58 anyway.
          { name: "Address", value: "`" + f.address.replace(/`/g, "") + "`" },
        ],
      },
    ],
  };
}

export function telegramAnnouncement(f: LaunchFacts): string {
  const lines = [
    `<b>New token: ${escapeTelegramHtml(f.name)} (${escapeTelegramHtml(f.symbol)})</b>`,
    `Chain: ${escapeTelegramHtml(f.chainName)}`,
    `Supply: ${escapeTelegramHtml(f.totalSupply)}`,
    `Address: <code>${escapeTelegramHtml(f.address)}</code>`,
  ];
  if (f.explorerUrl) lines.push(`<a href="${escapeTelegramHtml(f.explorerUrl).replace(/\u200b/g, "")}">Explorer</a>`);
  return lines.join("\n");
}

/** The day's digest for X, as many launches as fit in one post (code points, a safe bound on X's weighted count). */
export function xDigestText(day: string, launches: Pick<LaunchFacts, "name" | "symbol" | "chainName">[], total = launches.length): string {
  let text = `Top launches on TokenForge, ${day}:`;
  let shown = 0;
  for (const [i, l] of launches.entries()) {
    const line = `\n${i + 1}. ${escapeX(l.name)} (${escapeX(l.symbol)}) on ${escapeX(l.chainName)}`;
    if ([...text].length + [...line].length > X_MAX_CHARS) break;
    text += line;
    shown++;
  }
  const rest = total - shown;
  const more = `\n+${rest} more`;
  if (rest > 0 && [...text].length + [...more].length <= X_MAX_CHARS) text += more;
  return text;
}
