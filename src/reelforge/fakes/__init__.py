"""Local protocol servers that speak the providers' and platforms' HTTP APIs, with faults.

Used by the tests (started on 127.0.0.1, stopped by PID) and for dry runs. Every module in
this package that defines `register(router)` adds its routes to the one server.
"""
