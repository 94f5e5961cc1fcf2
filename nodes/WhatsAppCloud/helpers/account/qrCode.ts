/**
 * QR codes and short links (`/{phone-number-id}/message_qrdls`): the prefilled message and the image
 * format, checked before the call.
 * https://developers.facebook.com/docs/whatsapp/business-management-api/qr-codes
 */
import { PayloadError, quoteInput } from '../errors';
import { oneOf, requiredObject, requiredText, requiredToken } from '../check';

export const QR_PREFILLED_MESSAGE_MAX = 140;

export const QR_IMAGE_FORMATS = ['PNG', 'SVG'] as const;
export type QrImageFormat = (typeof QR_IMAGE_FORMATS)[number];

export type QrCodeCreateInput = { prefilledMessage: string; imageFormat: QrImageFormat };
export type QrCodeUpdateInput = { code: string; prefilledMessage: string };

export type QrCodeCreateRequest = { prefilled_message: string; generate_qr_image: QrImageFormat };
export type QrCodeUpdateRequest = { code: string; prefilled_message: string };

/** A QR code as Graph returns it; `qr_image_url` only when an image format was asked for. */
export type QrCode = {
	code: string;
	prefilled_message: string;
	deep_link_url: string;
	qr_image_url?: string;
};

function prefilledMessage(value: unknown): string {
	return requiredText('prefilledMessage', value, QR_PREFILLED_MESSAGE_MAX);
}

export function qrImageFormat(value: unknown): QrImageFormat {
	return oneOf(
		'imageFormat',
		typeof value === 'string' ? value.toUpperCase() : value,
		QR_IMAGE_FORMATS,
	);
}

/** A QR code's ID as Meta issues it (letters and digits, e.g. `ANOVZ6RINRD7G1`). */
export function qrCodeId(value: unknown): string {
	const code = requiredToken('code', value, 'a QR code ID');
	if (!/^[A-Za-z0-9]+$/.test(code)) {
		throw new PayloadError(
			`code must be a QR code ID of letters and digits; ${quoteInput(code)} is not`,
			{
				field: 'code',
				limit: 'letters and digits',
				actual: 'other characters',
			},
		);
	}
	return code;
}

export function buildQrCodeCreate(input: QrCodeCreateInput): QrCodeCreateRequest {
	const fields = requiredObject('qrCode', input);
	return {
		prefilled_message: prefilledMessage(fields.prefilledMessage),
		generate_qr_image: qrImageFormat(fields.imageFormat),
	};
}

export function buildQrCodeUpdate(input: QrCodeUpdateInput): QrCodeUpdateRequest {
	const fields = requiredObject('qrCode', input);
	return {
		code: qrCodeId(fields.code),
		prefilled_message: prefilledMessage(fields.prefilledMessage),
	};
}

/** `fields` for list/get, asking for the image URL in `format` (Graph's field-modifier syntax). */
export function qrCodeFields(format?: QrImageFormat): string {
	const base = 'code,prefilled_message,deep_link_url';
	return format ? `${base},qr_image_url.format(${format})` : base;
}
