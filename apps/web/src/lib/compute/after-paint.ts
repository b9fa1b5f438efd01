/**
 * Runs `task` in a task of its own once the browser has painted what is on the page now (issue
 * 16, ADR 039): a frame callback, then a timer, so the answer is on screen before the next part of
 * the page is built, and input that arrives in between is handled first. Returns a cancel.
 */
export function afterPaint(task: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A hidden tab draws no frames: a timer alone, so the page is complete when it is shown.
  if (typeof requestAnimationFrame === "undefined" || document.visibilityState === "hidden") {
    timer = setTimeout(task, 0);
    return () => clearTimeout(timer);
  }
  const frame = requestAnimationFrame(() => (timer = setTimeout(task, 0)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
