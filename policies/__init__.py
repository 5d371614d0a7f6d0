"""plangate's built-in policy catalogue, one module per service (installed as plangate.catalogue).

Policies register themselves when their module is loaded by plangate's catalogue loader;
`plangate policies` lists them and docs/policies.md describes each.
"""
