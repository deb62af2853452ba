/** Resolves with the first of `signals` the process gets; its listeners are gone by then. */
export function untilSignal(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const listeners = signals.map((signal) => {
      const listener = () => {
        listeners.forEach((l, i) => process.off(signals[i]!, l));
        resolve(signal);
      };
      process.on(signal, listener);
      return listener;
    });
  });
}
