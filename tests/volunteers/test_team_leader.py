"""A team's leader on its public page: named where the team publishes the name, masked otherwise."""

from tests.events import factories as ef


def test_a_team_named_after_its_leader_shows_the_name_whole(client, places):
    leader = ef.volunteer("li", real_name="李双军")
    team = ef.team(places["chunshuyuan"], name="李双军志愿服务队", leader=leader)
    html = client.get(team.get_absolute_url()).content.decode()
    assert "<dd>李双军</dd>" in html and "李**" not in html


def test_a_leader_named_in_the_description_shows_whole(client, places):
    leader = ef.volunteer("wang", real_name="王秀英")
    team = ef.team(places["sihuan"], name="银发服务队", description="队长王秀英带队。", leader=leader)
    assert "<dd>王秀英</dd>" in client.get(team.get_absolute_url()).content.decode()


def test_any_other_leader_stays_masked(client, places):
    leader = ef.volunteer("zhao", real_name="赵建国")
    team = ef.team(places["sihuan"], name="胡同服务队", description="每周上门。", leader=leader)
    html = client.get(team.get_absolute_url()).content.decode()
    assert "<dd>赵**</dd>" in html and "赵建国" not in html


def test_an_anonymised_namesake_is_never_named(client, places):
    leader = ef.volunteer("li2", real_name="李双军")
    team = ef.team(places["chunshuyuan"], name="李双军志愿服务队", leader=leader)
    leader.anonymise()
    team.refresh_from_db()
    assert team.public_leader_name == "已注销志愿者"
    assert "李双军</dd>" not in client.get(team.get_absolute_url()).content.decode()
