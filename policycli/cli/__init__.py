"""cli: the `policy` command. The Typer app (`app`), the command classes that map every failure to
one Chinese line and an exit code, and `render/`, the only place that imports Rich. Imports the
engines (`search`, `contacts`, `awards`, `match`) and `load`; never imported by them."""
