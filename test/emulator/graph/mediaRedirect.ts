/**
 * Fault: media download URLs answer 302 to another origin, as a proxy or CDN in front of the media
 * host might. Clients must not carry the access token to a host they have not checked.
 */
import type { RequestContext } from '../server';

/** Answers the download with a redirect to the same path on `origin` ('' = serve it); true if so. */
export function redirectMediaDownload(origin: string, c: RequestContext): boolean {
	if (origin === '') return false;
	const location = new URL(`${c.url.pathname}${c.url.search}`, origin).href;
	c.rec.fault = 'redirect';
	c.send(302, Buffer.alloc(0), { location }, true);
	return true;
}
