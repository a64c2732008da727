/* The lines printed after a file is rendered (CPU or batch render): warnings about its content and a summary. */
#include "render.h"

#include "cli.h"

static void
print_summary(const char* out_path, const RenderStats* s)
{
  double seconds = s->file_rate > 0 ? (double)s->frames / s->file_rate : 0.0;
  cli_note("wrote %s: %lld frames, %d channel%s, %d Hz (%.2f s); output peak %.1f dBFS, RMS %.1f dBFS", out_path,
           s->frames, s->channels, s->channels == 1 ? "" : "s", s->file_rate, seconds, levels_peak_db(&s->output),
           levels_rms_db(&s->output));
  if (s->process_seconds > 0.0 && seconds > 0.0)
    cli_note("model time %.3f s for %.2f s of audio per channel (%.1fx real time)", s->process_seconds, seconds,
             seconds * s->channels / s->process_seconds);
}

void
render_report(const char* in_path, const char* out_path, const RenderStats* stats)
{
  if (stats->frames == 0)
    cli_warn("'%s' contains no audio frames; wrote an empty file", in_path);
  if (stats->output.nonfinite > 0)
    cli_warn("the output contains %lld NaN or infinite samples", stats->output.nonfinite);
  print_summary(out_path, stats);
}
