import { useNow } from '../hooks/useNow';
import { countdown } from './time-left';

/** "4:59" until `deadline`, ticking every second, and whether it has run out. */
export function useCountdown(deadline: number | undefined): { text: string; over: boolean } {
  const now = useNow(1000);
  if (deadline === undefined) return { text: '', over: false };
  return { text: countdown(deadline - now), over: deadline - now <= 0 };
}
