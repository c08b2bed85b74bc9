// Production functions stay short enough to read in one screen: none over 80
// lines unless the comment right above it says why (a line starting "Long:").
// Tools and tests are exempt. Reads the code with the TypeScript compiler's parser.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const MAX_LINES = 80;
const ROOTS = ["workers", "packages", "web/src"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "test" || name === "dist" || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.(test|d)\.tsx?$/.test(name) ? [path] : [];
  });
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name) return named.name.getText();
  if (ts.isVariableDeclaration(node.parent)) return node.parent.name.getText();
  if (ts.isPropertyAssignment(node.parent)) return node.parent.name.getText();
  return "(anonymous)";
}

/** Functions longer than MAX_LINES whose leading comment does not explain the length. */
export function longFunctions(file: string, text = readFileSync(file, "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      // The comment may sit on the function, its variable statement or its export.
      let holder: ts.Node = node;
      while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isClassLike(holder.parent) && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent;
      const comments = ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [];
      const explained = comments.some((c) => /\bLong:/.test(text.slice(c.pos, c.end)));
      if (lines > MAX_LINES && !explained) found.push(`${relative(ROOT, file)}:${start + 1} ${nameOf(node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

it("flags a function over the limit and accepts one whose comment says why", () => {
  const body = Array.from({ length: MAX_LINES }, (_, i) => `  const v${i} = ${i};`).join("\n");
  expect(longFunctions("x.ts", `export function big() {\n${body}\n}\n`)).toEqual([`x.ts:1 big (${MAX_LINES + 2} lines)`]);
  expect(longFunctions("x.ts", `// Long: one table, read top to bottom.\nexport const big = () => {\n${body}\n};\n`)).toEqual([]);
  expect(longFunctions("x.ts", `export function small() {\n  return 1;\n}\n`)).toEqual([]);
});

it("no production function is over 80 lines unless its comment says why", () => {
  const files = ROOTS.flatMap((r) => sourceFiles(join(ROOT, r))).filter((f) => !f.includes("/contracts/artifacts"));
  expect(files.length).toBeGreaterThan(50);
  expect(files.flatMap((f) => longFunctions(f))).toEqual([]);
});
