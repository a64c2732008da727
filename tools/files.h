/* Small file-system helpers shared by the subcommands that write files. Both print their own error messages. */
#ifndef TRIODE_TOOLS_FILES_H
#define TRIODE_TOOLS_FILES_H

/* mkdir -p: creates every missing directory of `path`. Returns CLI_OK, or CLI_BAD_AUDIO/CLI_USAGE after a message. */
int
files_make_dirs(const char* path);

/* Writes `text` and a final newline to `path`; on failure removes the partial file. Returns a CLI exit code. */
int
files_write_text(const char* path, const char* text);

#endif /* TRIODE_TOOLS_FILES_H */
