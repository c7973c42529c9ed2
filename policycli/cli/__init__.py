"""cli: the `policy` command. The Typer app (`app`), the command classes that map every failure to
one Chinese line and an exit code and put Typer's help in Chinese (`commands`, which also reaches
into Rich for the help), the command line's words for the core's messages (`wording`), and
`render/`, which draws every result with Rich. Imports the engines and `load`; never imported by
them."""
