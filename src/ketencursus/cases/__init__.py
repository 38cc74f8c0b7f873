"""Case studies of the course: data generators, metrics on event logs, a chain simulation
and the what-if widgets used by the case notebooks in ``book/casussen/``."""
