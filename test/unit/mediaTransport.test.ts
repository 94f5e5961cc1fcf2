/** The pure parts of transport/media.ts and methods/phoneNumbers.ts. */
import fc from 'fast-check';

import { buildMultipartBody, isTrustedMediaUrl } from '../../nodes/WhatsAppCloud/transport/media';
import {
	matchesPhoneNumberFilter,
	phoneNumberLabel,
} from '../../nodes/WhatsAppCloud/methods/phoneNumbers';
import { parseMultipart } from '../emulator/graph/media';

describe('buildMultipartBody', () => {
	it('writes RFC 7578 parts the emulator parser reads back byte for byte', () => {
		const file = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
		const { body, contentType } = buildMultipartBody(
			[
				{ fieldName: 'messaging_product', text: 'whatsapp' },
				{ fieldName: 'type', text: 'image/png' },
				{ fieldName: 'file', data: file, fileName: 'pixel.png', contentType: 'image/png' },
			],
			'----boundary123',
		);
		expect(contentType).toBe('multipart/form-data; boundary=----boundary123');
		expect(body.toString('latin1')).toBe(
			'------boundary123\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n' +
				'------boundary123\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage/png\r\n' +
				'------boundary123\r\nContent-Disposition: form-data; name="file"; filename="pixel.png"\r\nContent-Type: image/png\r\n\r\n' +
				file.toString('latin1') +
				'\r\n------boundary123--\r\n',
		);
		const parts = parseMultipart(body, contentType);
		expect(parts.map((p) => p.name)).toEqual(['messaging_product', 'type', 'file']);
		expect(parts[2].data.equals(file)).toBe(true);
		expect(parts[2].filename).toBe('pixel.png');
		expect(parts[2].contentType).toBe('image/png');
	});

	it('escapes quotes and line breaks in file names', () => {
		const { body } = buildMultipartBody(
			[
				{
					fieldName: 'file',
					data: Buffer.from('x'),
					fileName: 'a"b\r\nc.pdf',
					contentType: 'application/pdf',
				},
			],
			'b',
		);
		expect(body.toString()).toContain('filename="a%22b%0D%0Ac.pdf"');
	});

	it('uses a fresh random boundary by default', () => {
		const a = buildMultipartBody([{ fieldName: 'x', text: 'y' }]).contentType;
		const b = buildMultipartBody([{ fieldName: 'x', text: 'y' }]).contentType;
		expect(a).toMatch(/^multipart\/form-data; boundary=----n8nWhatsAppCloud[0-9a-f]{32}$/);
		expect(a).not.toBe(b);
	});

	it('property: any bytes and UTF-8 file name round-trip through the parser', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 2000 }),
				fc.string({ minLength: 1, maxLength: 40 }),
				(bytes, name) => {
					const safeName = name.replace(/["\r\n]/g, '_');
					const data = Buffer.from(bytes);
					const { body, contentType } = buildMultipartBody([
						{ fieldName: 'messaging_product', text: 'whatsapp' },
						{ fieldName: 'file', data, fileName: safeName, contentType: 'application/pdf' },
					]);
					const parts = parseMultipart(body, contentType);
					expect(parts[1].data.equals(data)).toBe(true);
					expect(parts[1].filename).toBe(safeName);
				},
			),
		);
	});
});

describe('isTrustedMediaUrl', () => {
	const graph = 'https://graph.facebook.com/v26.0';
	it.each([
		['https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3', graph, true],
		['https://scontent.xx.fbcdn.net/v/t1/abc', graph, true],
		['https://graph.facebook.com/v26.0/123', graph, true],
		['https://mmg.whatsapp.net/x', graph, true],
		// Facebook's link-redirect hosts forward to any URL.
		['https://l.facebook.com/l.php?u=https%3A%2F%2Fevil.example', graph, false],
		['https://lm.facebook.com/l.php?u=x', graph, false],
		['https://www.facebook.com/x', graph, false],
		['http://lookaside.fbsbx.com/x', graph, false],
		['https://evil.example/fbsbx.com', graph, false],
		['https://fbsbx.com.evil.example/x', graph, false],
		['https://evilfbsbx.com/x', graph, false],
		['http://127.0.0.1:4000/__media/1?hash=x', 'http://127.0.0.1:4000/v26.0', true],
		['http://127.0.0.1:4001/__media/1', 'http://127.0.0.1:4000/v26.0', false],
		['not a url', graph, false],
	])('%s (base %s) → %s', (url, base, trusted) => {
		expect(isTrustedMediaUrl(url, base)).toBe(trusted);
	});
});

describe('phone number picker helpers', () => {
	const shop = {
		id: '106540352242922',
		display_phone_number: '+1 555-078-3881',
		verified_name: 'Emulator Shop',
	};

	it('labels a number "<display> (<verified name>)"', () => {
		expect(phoneNumberLabel(shop)).toBe('+1 555-078-3881 (Emulator Shop)');
		expect(phoneNumberLabel({ id: '1', display_phone_number: '+1 555' })).toBe('+1 555');
		expect(phoneNumberLabel({ id: '1' })).toBe('1');
	});

	it.each([
		['', true],
		['shop', true],
		['EMULATOR', true],
		['5550783', true],
		['555 078 3881', true],
		['+1 (555) 078-3881', true],
		['106540352242922', true],
		['support', false],
		['5550783882', false],
		['---', false],
	])('filter %p → %p', (filter, match) => {
		expect(matchesPhoneNumberFilter(shop, filter)).toBe(match);
	});
});
