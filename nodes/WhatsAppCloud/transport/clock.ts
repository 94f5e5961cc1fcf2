import { sleep } from 'n8n-workflow';

import type { Clock } from '../helpers/clock';

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => {
		if (ms > 0) await sleep(ms);
	},
	random: () => Math.random(),
};
