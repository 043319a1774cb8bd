"""The rules of the platform, one function per use case.

Services take plain arguments (the acting user first), check permissions and rules, add and flush
rows, and raise the domain errors of services.errors. They never commit (the view does, once per
request) and never touch Flask's request.
"""
