import QRCode from 'qrcode'

/**
 * The sign link as a QR code, drawn on the server as SVG, for a wide screen: the
 * user scans it and continues on the phone. Not shown on narrow screens, which
 * are the phone already.
 */
export async function SignQrCode({ url, caption }: { url: string; caption: string }) {
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return (
    <figure className="mt-6 hidden flex-col items-center gap-2 md:flex" data-testid="sign-qr">
      {/* the SVG is made here from our own link; nothing in it comes from a visitor */}
      <div className="size-40 rounded-lg bg-white p-2 ring-1 ring-line" role="img" aria-label={caption} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption className="text-sm text-muted">{caption}</figcaption>
    </figure>
  )
}
