"""Import steps that apps above `questions` add to the Stack Exchange import.

The importer cannot import those apps; an app registers a step in its
`AppConfig.ready()` with `import_step_register(name, step)`, and the import calls
`step(state)` after its own steps, inside the same transaction, in the order of
registration. A step reads the dump through `state.rows("Badges.xml")` (a file that may be
missing from a dump: check `(state.folder / name).is_file()` first), maps ids through
`state.users` and `state.questions`/`state.answers` (dump id → our id), counts what it
creates in `state.summary.created[...]` and what it leaves out with `state.skip(...)`, and
must be idempotent like the rest: importing the same dump again adds nothing."""

_STEPS = {}


def import_step_register(name, step):
    """Runs `step(state)` at the end of every import; registering `name` again replaces it."""
    _STEPS[name] = step


def run_import_steps(state):
    for step in _STEPS.values():
        step(state)
