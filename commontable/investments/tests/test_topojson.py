from commontable.investments import topojson

# Two squares sharing an edge, quantized: arc 0 is the shared edge.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [-94, 44]},
    "arcs": [
        [[2, 0], [0, 2]],                  # (1,0)→(1,1) after scale: the shared edge
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # left square's other three sides, back to (1,0)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],   # right square's other three sides, ending at (1,1)
    ],
    "objects": {"counties": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "27001", "properties": {"name": "Left"}},
        {"type": "Polygon", "arcs": [[2, ~0]], "id": "27003", "properties": {"name": "Right"}},
    ]}},
}


def test_arcs_are_delta_decoded_scaled_and_joined_into_closed_rings():
    left, right = topojson.features(TOPOLOGY, "counties")
    assert left["properties"]["name"] == "Left" and left["id"] == "27001"
    ring = left["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] == [-93.0, 44.0]
    assert [-94.0, 45.0] in ring
    right_ring = right["geometry"]["coordinates"][0]
    assert right_ring[0] == right_ring[-1]
    assert topojson.bbox(right["geometry"]) == (-93.0, 44.0, -92.0, 45.0)
