"""cli: the `policy` command. The Typer app and its table of commands (`app`); the commands by group
(`policies`, `contacts`, `money` for estimate and match, `importing` for import and diff, `library`
for `policy lists`, `serve`); what they share (`context`: the dataset of a run, completion); the
command classes that map every failure to one Chinese line and an exit code and give every command
its Chinese help (`commands`, laid out by `render/help.py`); the command line's words for the core's
messages (`wording`); and `render/`, which draws every result and the help with Rich's public
interfaces. Imports the engines and `load`; never imported by them."""
