/** A broadcast through injected Meta-side failures: 5xx (not accepted, so safe to retry) and 130429. */
import type { BroadcastFigures } from './broadcast';
import { runBroadcast } from './broadcast';

/**
 * Meta's refusals for a passing reason (131016 service unavailable, 131057 maintenance): the node
 * retries them. The generic 1, 2, 131000 are not retried by default (Meta may have the message).
 */
export const SERVER_ERROR_CODES = [131016, 131057];
export const SERVER_ERROR_RATE = 0.1;
export const THROTTLE_RATE = 0.05;

export interface FaultFigures extends BroadcastFigures {
	serverErrorRate: number;
	throttleRate: number;
	/** Wall time / the fault-free broadcast's wall time at the same limit, same run. */
	timeRatio: number;
	/**
	 * Every attempt (retries included) takes a slot of the node's limiter: requests / limit is the
	 * least time the pacing allows, and that over the fault-free wall time the least timeRatio.
	 */
	requestPacingSeconds: number;
	pacingFloorRatio: number;
}

export async function runFaults(options: {
	messages: number;
	messagesPerSecond: number;
	phoneNumberIndex: number;
	faultFreeWallSeconds: number;
}): Promise<FaultFigures> {
	const figures = await runBroadcast({
		scenario: 'faults',
		messages: options.messages,
		messagesPerSecond: options.messagesPerSecond,
		phoneNumberIndex: options.phoneNumberIndex,
		faults: {
			serverErrorRate: SERVER_ERROR_RATE,
			serverErrorCodes: SERVER_ERROR_CODES,
			errorRate: THROTTLE_RATE,
			errorCodes: [130429],
		},
	});
	const requestPacingSeconds = figures.messageRequests / options.messagesPerSecond;
	return {
		...figures,
		requestPacingSeconds: Math.round(requestPacingSeconds * 100) / 100,
		pacingFloorRatio:
			Math.round((requestPacingSeconds / options.faultFreeWallSeconds) * 1000) / 1000,
		serverErrorRate: SERVER_ERROR_RATE,
		throttleRate: THROTTLE_RATE,
		timeRatio: Math.round((figures.wallSeconds / options.faultFreeWallSeconds) * 1000) / 1000,
	};
}
