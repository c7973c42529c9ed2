"""dataset: the bottom layer. The model (`Catalog`, `Policy`, `Office`), where a dataset lives and how
its bytes are read, YAML with line numbers, validation of the list's own fields, lookup of policies by
id, number or title, and the cache of derived data. Imports nothing of policycli but `errors` and the
package's version (which keys the cache); the checks of `award:` and `conditions:` blocks are handed to
the loader by the layer above (`load`)."""
