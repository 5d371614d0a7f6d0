"""plangate in pytest: catalogue policies, waivers and the inventory as test items.

Imports go one way, from the entry point down to the session state:
plugin -> builtin -> policy_items -> conformance_items -> result_item, session. `session`
imports only plangate's core, so the step library and the evidence recorder read it too
without importing the plugin back.
"""
