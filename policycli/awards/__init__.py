"""awards: how much. Money and the numbers people type, the generic award rule kinds, the inputs an
estimate takes, reading and checking `award:` blocks, the LPR table, and the estimate API. Imports
`dataset` only."""
