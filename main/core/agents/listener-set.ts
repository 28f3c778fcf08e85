/** A typed set of listeners; `on` returns the unsubscribe function. */
export class ListenerSet<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    const size = this.listeners.size;
    if (size === 0) return;
    if (size === 1) {
      // The common case (one listener, called per output chunk): no copy of the set.
      for (const listener of this.listeners) return listener(value);
    }
    for (const listener of [...this.listeners]) listener(value);
  }

  clear(): void {
    this.listeners.clear();
  }

  get size(): number {
    return this.listeners.size;
  }
}
