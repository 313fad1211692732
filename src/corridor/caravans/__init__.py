"""Real caravans: the timeline dataset (data/caravans/) and single-caravan scenarios on the
shared network (scenarios/caravans/). See docs/caravans.md."""
