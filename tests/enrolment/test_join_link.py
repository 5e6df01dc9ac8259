from enrolment.models import Enrolment
from tests.factories import make_cohort, make_course


def test_join_link_prefills_the_key_and_joining_still_needs_a_post(
    client, participant, site
):
    course = make_course(modules=1, lessons_per_module=1)
    cohort = make_cohort(course=course, enrolment_key="KG-BISHKEK-7")
    client.force_login(participant)
    response = client.get("/en/enrol/key/", {"key": "KG-BISHKEK-7"})
    assert response.status_code == 200
    assert 'value="KG-BISHKEK-7"' in response.content.decode()
    assert not Enrolment.objects.filter(user=participant).exists()
    response = client.post("/en/enrol/key/", {"key": "kg-bishkek-7"})
    assert response.status_code == 302
    assert Enrolment.objects.get(user=participant).cohort == cohort
