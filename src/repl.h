/* repl.h: `sow repl`, the interactive session. */
#ifndef SOW_REPL_H
#define SOW_REPL_H

int repl_main(int argc, char **argv);

#endif
