// A treasury address as a QR code, for a phone wallet to scan. The QR library
// (uqr, a few KB) is imported here on demand, so only /me ever loads it.
import { useEffect, useState } from "preact/hooks";

export function TreasuryQr({ address, label }: { address: string; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    import("uqr").then(({ renderSVG }) => live && setSvg(renderSVG(address, { border: 2 })), () => live && setSvg(null));
    return () => void (live = false);
  }, [address]);
  if (!svg) return null;
  // The SVG is generated locally from the address (no markup from the network).
  return <div class="qr" role="img" aria-label={label} data-testid="treasury-qr" dangerouslySetInnerHTML={{ __html: svg }} />;
}
