// Compiles one solc standard-JSON input with solc-js, in its own process so the
// stand-in explorer's event loop (and the platform beside it) keeps running for
// the seconds a compile takes. stdin: the input JSON; stdout: solc's output JSON.
// Plain JavaScript: it runs under bare node, without the TypeScript loader.
import solc from "solc";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  // No import callback: a submission must carry every source it needs, as on Etherscan.
  process.stdout.write(solc.compile(input));
});
