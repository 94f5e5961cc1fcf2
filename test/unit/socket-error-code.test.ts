/**
 * Where each n8n version leaves the socket error code of a failed request. The shapes are those
 * measured with each version's own NodeApiError around axios' error (a closed port): the node tests
 * and e2e tests (test/nodes/send-failures, test/e2e/sendFailures) go through the real helpers.
 */
import { socketErrorCode } from '../../nodes/WhatsAppCloud/transport/graph';

test.each<[string, unknown, string | undefined]>([
	// n8n-workflow 2.41: the client's error kept as `cause`, the code also as `httpCode`
	[
		'2.41 NodeApiError',
		{ cause: { code: 'ECONNREFUSED' }, httpCode: 'ECONNREFUSED' },
		'ECONNREFUSED',
	],
	// n8n-workflow 2.8: `cause` present but undefined, the code only as `httpCode`
	['2.8 NodeApiError', { cause: undefined, httpCode: 'ENOTFOUND' }, 'ENOTFOUND'],
	['a bare client error', { code: 'ECONNRESET' }, 'ECONNRESET'],
	['an HTTP status is not a socket code', { httpCode: '502' }, undefined],
	['nothing', new Error('boom'), undefined],
	['not an object', 'ECONNREFUSED', undefined],
])('%s', (_, error, expected) => {
	expect(socketErrorCode(error)).toBe(expected);
});
