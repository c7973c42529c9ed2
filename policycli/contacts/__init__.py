"""contacts: whom to call. The directory of responsible offices and people, what a query finds in
it, and vCard export. Imports `dataset` only."""
