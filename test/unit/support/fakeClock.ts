import type { Clock } from '../../../nodes/WhatsAppCloud/helpers/clock';

/** A clock whose time moves only when every pending task waits on it: minutes pass in microseconds. */
export class FakeClock implements Clock {
	private time = 0;

	private timers: Array<{ at: number; resolve: () => void }> = [];

	now(): number {
		return this.time;
	}

	/** Sleeps asked for, in order (tests inspect them). */
	readonly sleeps: number[] = [];

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		if (!(ms > 0)) return;
		// Like Node's timers: a delay beyond 2^31 − 1 ms (~24.8 days) overflows and fires after 1 ms.
		const delay = ms > 2 ** 31 - 1 ? 1 : ms;
		await new Promise<void>((resolve) => this.timers.push({ at: this.time + delay, resolve }));
	}

	random(): number {
		return 0.5;
	}

	/** Runs `work` to completion, jumping time forward whenever nothing else can progress. */
	async run<T>(work: Promise<T>): Promise<T> {
		let settled = false;
		const result = work.finally(() => {
			settled = true;
		});
		while (!settled) {
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) break;
			if (this.timers.length === 0) continue;
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers[0].at;
			this.time = Math.max(this.time, next);
			const due = this.timers.filter((timer) => timer.at <= this.time);
			this.timers = this.timers.filter((timer) => timer.at > this.time);
			for (const timer of due) timer.resolve();
		}
		return await result;
	}
}
