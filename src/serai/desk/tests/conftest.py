from serai.projects.tests.conftest import energy, make_project, roles, walk  # noqa: F401 (fixtures)
