"""URLs of the cooperation network: graph (included under /<lang>/network/ by serai.urls)."""

from django.urls import path

from . import views_graph

urlpatterns: list = [
    path("graph/", views_graph.graph_page, name="network_graph"),
    path("graph/data.json", views_graph.graph_json, name="network_graph_json"),
    path("graph/table/", views_graph.graph_table, name="network_graph_table"),
    path("graph/export.graphml", views_graph.graph_graphml, name="network_graph_graphml"),
    path("graph/nodes.csv", views_graph.graph_nodes_csv, name="network_graph_nodes_csv"),
    path("graph/edges.csv", views_graph.graph_edges_csv, name="network_graph_edges_csv"),
]
