/**
 * QR code images for the emulator's `qr_image_url`: a deterministic QR-shaped pattern (finder
 * squares, timing lines, modules from a hash of the link) as a valid PNG or SVG. It is not a
 * scannable QR code; clients only download and store it, which is what the tests check.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

const SIZE = 29; // modules per side (QR version 3)
const SCALE = 8; // pixels per module
const QUIET = 4; // modules of white border

function inFinder(x: number, y: number): boolean | undefined {
	for (const [fx, fy] of [
		[0, 0],
		[SIZE - 7, 0],
		[0, SIZE - 7],
	]) {
		const dx = x - fx;
		const dy = y - fy;
		if (dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7) {
			if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return false; // separator
			const ring = Math.min(dx, dy, 6 - dx, 6 - dy);
			return ring !== 1;
		}
	}
	return undefined;
}

/** Dark modules of the pattern for `text`, row by row. */
export function qrModules(text: string): boolean[][] {
	let bits = createHash('sha256').update(text).digest();
	while (bits.length * 8 < SIZE * SIZE) {
		bits = Buffer.concat([bits, createHash('sha256').update(bits).digest()]);
	}
	const rows: boolean[][] = [];
	for (let y = 0; y < SIZE; y++) {
		const row: boolean[] = [];
		for (let x = 0; x < SIZE; x++) {
			const finder = inFinder(x, y);
			if (finder !== undefined) row.push(finder);
			else if (x === 6 || y === 6) row.push((x + y) % 2 === 0);
			else {
				const n = y * SIZE + x;
				row.push(((bits[n >> 3] >> (n & 7)) & 1) === 1);
			}
		}
		rows.push(row);
	}
	return rows;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(data: Buffer): number {
	let c = 0xffffffff;
	for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** An 8-bit greyscale PNG of the pattern. */
export function qrPng(text: string): Buffer {
	const modules = qrModules(text);
	const side = (SIZE + 2 * QUIET) * SCALE;
	const raw = Buffer.alloc(side * (side + 1), 0xff);
	for (let py = 0; py < side; py++) {
		raw[py * (side + 1)] = 0; // filter: none
		const my = Math.floor(py / SCALE) - QUIET;
		for (let px = 0; px < side; px++) {
			const mx = Math.floor(px / SCALE) - QUIET;
			if (my >= 0 && my < SIZE && mx >= 0 && mx < SIZE && modules[my][mx]) {
				raw[py * (side + 1) + 1 + px] = 0;
			}
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(side, 0);
	header.writeUInt32BE(side, 4);
	header.writeUInt8(8, 8); // bit depth
	header.writeUInt8(0, 9); // greyscale
	return Buffer.concat([
		Buffer.from('89504e470d0a1a0a', 'hex'),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

export function qrSvg(text: string): string {
	const modules = qrModules(text);
	const side = SIZE + 2 * QUIET;
	const rects: string[] = [];
	modules.forEach((row, y) =>
		row.forEach((dark, x) => {
			if (dark) rects.push(`<rect x="${x + QUIET}" y="${y + QUIET}" width="1" height="1"/>`);
		}),
	);
	return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${side * SCALE}" height="${side * SCALE}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><g fill="#000">${rects.join('')}</g></svg>\n`;
}
