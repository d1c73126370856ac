const MINUTE = 60_000;

export const minutesBetween = (from: number, to: number): number => Math.round((to - from) / MINUTE);
