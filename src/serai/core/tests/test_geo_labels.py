"""Map labels (issue 14, item 9): each country's name goes at a point inside it."""

from serai.core import geo
from serai.core.testing import shared_data_path
from serai.evidence import charts


def test_label_point_of_a_concave_shape_is_inside_it():
    # a U: its centroid lies in the notch, outside the shape
    u = [(0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30)]
    x, y = geo.label_point([u])
    assert not (10 < x < 20 and y > 10), (x, y)
    assert 0 < x < 30 and 0 < y < 30


def test_the_six_get_labels_in_the_map_that_do_not_overlap(settings):
    settings.SERAI_WORLD_ATLAS = shared_data_path("geo/world-atlas_countries-50m.topo.json")
    names = {
        "410": "Республика Корея",
        "398": "Казахстан",
        "417": "Кыргызстан",
        "762": "Таджикистан",
        "795": "Туркменистан",
        "860": "Узбекистан",
    }
    the_map = charts.choropleth({k: 1.0 for k in names}, names, None, str)
    boxes = []
    for shape in the_map["focus"]:
        x, y = float(shape["label_x"]), float(shape["label_y"])
        w = charts._text_width(shape["label"], charts.LABEL_SIZE)
        assert w / 2 <= x <= the_map["width"] - w / 2 and 0 < y <= the_map["height"], shape["label"]
        boxes.append((x - w / 2, y - charts.LABEL_SIZE * 0.85, x + w / 2, y + charts.LABEL_SIZE * 0.3))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
