"""Reads shaped for the activities pages; each starts from ``for_user`` or from an object an ``access_*``
function returned, and runs a fixed number of queries."""
