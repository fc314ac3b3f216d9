package io.eniroute.sandbox;

import java.io.PrintStream;

/** The sandbox's story on the terminal: step headers, what happens, live progress lines. */
public final class Narrator {
  private final PrintStream out;
  private final boolean redraw;
  private final long start = System.nanoTime();
  private boolean progressOpen;

  /** @param redraw redraw the progress line in place (a terminal) instead of printing a line per change */
  public Narrator(PrintStream out, boolean redraw) {
    this.out = out;
    this.redraw = redraw;
  }

  public synchronized void step(int number, String title) {
    endProgress();
    out.println();
    out.println("━━ step " + number + ": " + title);
    out.flush();
  }

  public synchronized void say(String line) {
    endProgress();
    out.println("   " + line);
    out.flush();
  }

  public synchronized void event(String line) {
    endProgress();
    out.println("   · " + line);
    out.flush();
  }

  /** A live status line: redrawn in place on a terminal, printed as a new line otherwise. */
  public synchronized void progress(String line) {
    String stamped = String.format("   [%6.1fs] %s", (System.nanoTime() - start) / 1e9, line);
    if (redraw) {
      out.print("\r\033[K" + stamped);
      progressOpen = true;
    } else {
      out.println(stamped);
    }
    out.flush();
  }

  public synchronized void endProgress() {
    if (progressOpen) {
      out.println();
      progressOpen = false;
    }
  }

  public synchronized void raw(String text) {
    endProgress();
    out.println(text);
    out.flush();
  }
}
