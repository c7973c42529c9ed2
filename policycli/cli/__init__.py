"""cli: the `policy` command. The Typer app (`app`), the command classes that map every failure to
one Chinese line and an exit code and give every command its Chinese help (`commands`, laid out by
`render/help.py`), the command line's words for the core's messages (`wording`), and `render/`,
which draws every result and the help with Rich's public interfaces. Imports the engines and
`load`; never imported by them."""
