// One rounding per quantity, shared by --json, the text and the recommendations, so that the same number reads the
// same everywhere in a report: seconds to a tenth, GPU-hours to three decimals.
import { formatDuration } from '../lib/format.js';

export const roundSeconds = (seconds: number): number => Math.round(seconds * 10) / 10;

export const roundGpuHours = (hours: number): number => Math.round(hours * 1000) / 1000;

/** GPU-hours as the JSON holds them: "0.267". */
export const gpuHoursText = (hours: number): string => String(roundGpuHours(hours));

/** A duration for the text, sub-10-second ones with their tenth ("0.4s") so that short intervals do not read "0s". */
export const durationText = (seconds: number | null): string => formatDuration(seconds, { tenths: true });
