"""match: which policies fit an enterprise. The fact vocabulary, profiles and profile files,
`conditions:` blocks, and eligibility with amounts. Imports `awards` and `dataset`."""
