"""A small, clean CIN census (2025 to 2026) as XML, and ways to make it wrong, for the rule tests.

Child 1 (C1) has a whole history in one episode: assessment, CIN plan, section 47, conference,
CP plan with a review, then a CIN plan again; child 2 (C2) is unborn with an open episode and
an assessment under way; child 3 (C3) had a referral with no further action.
"""

from __future__ import annotations

import copy

from lxml import etree

from opencsc.people.validators import upn_check_letter


def upn(la: str = "313", rest: str = "200015001") -> str:
    body = f"{la}{rest}"[:12].ljust(12, "0")
    return upn_check_letter(body) + body


UPN_1 = upn()

C1 = "Children/Child[1]"
C2 = "Children/Child[2]"
C3 = "Children/Child[3]"
E1 = f"{C1}/CINdetails[1]"
E2 = f"{C2}/CINdetails[1]"
IDS1 = f"{C1}/ChildIdentifiers"
S47 = f"{E1}/Section47[1]"
CPP = f"{E1}/ChildProtectionPlans[1]"
ASS = f"{E1}/Assessments[1]"
PLAN1 = f"{E1}/CINPlanDates[1]"
PLAN2 = f"{E1}/CINPlanDates[2]"


def clean_xml() -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>313</LEA><SoftwareCode>OpenCSC</SoftwareCode><Release>2026</Release><SerialNo>001</SerialNo><DateTime>2026-04-02T09:00:00+01:00</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID><UPN>{UPN_1}</UPN><PersonBirthDate>2015-05-01</PersonBirthDate><Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>MOB</Disability><Disability>HAND</Disability><Disability>PC</Disability><Disability>INC</Disability>
          <Disability>COMM</Disability><Disability>LD</Disability><Disability>HEAR</Disability><Disability>VIS</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <CINclosureDate>2026-02-27</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>
        <Assessments>
          <AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-06-02</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>1B</AssessmentFactors><AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates><CINPlanStartDate>2025-06-03</CINPlanStartDate><CINPlanEndDate>2025-07-01</CINPlanEndDate></CINPlanDates>
        <CINPlanDates><CINPlanStartDate>2026-01-20</CINPlanStartDate><CINPlanEndDate>2026-02-27</CINPlanEndDate></CINPlanDates>
        <Section47>
          <S47ActualStartDate>2025-07-01</S47ActualStartDate><InitialCPCtarget>2025-07-22</InitialCPCtarget>
          <DateOfInitialCPC>2025-07-15</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2025-07-15</CPPstartDate><CPPendDate>2026-01-20</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2025-10-14</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C2</LAchildID><UPNunknown>UN1</UPNunknown><ExpectedPersonBirthDate>2026-05-01</ExpectedPersonBirthDate><Sex>U</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2026-01-12</CINreferralDate><ReferralSource>5A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments><AssessmentActualStartDate>2026-03-20</AssessmentActualStartDate></Assessments>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C3</LAchildID><UPNunknown>UN7</UPNunknown><PersonBirthDate>2010-01-01</PersonBirthDate><Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>AIND</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2026-02-02</CINreferralDate><ReferralSource>9</ReferralSource>
        <ReferralNFA>1</ReferralNFA>
      </CINdetails>
    </Child>
  </Children>
</Message>
""".encode()


# --- ways to change it ----------------------------------------------------------------------


def set_(path: str, text: str):
    def change(root):
        found = root.xpath(path)
        assert found, path
        found[0].text = text

    return change


def delete(path: str):
    def change(root):
        found = root.xpath(path)
        assert found, path
        for el in found:
            el.getparent().remove(el)

    return change


def add(parent: str, tag: str, text: str = ""):
    def change(root):
        found = root.xpath(parent)
        assert found, parent
        el = etree.SubElement(found[0], tag)
        el.text = text

    return change


def duplicate(path: str):
    """A copy of the element, placed just after it."""

    def change(root):
        found = root.xpath(path)
        assert found, path
        found[0].addnext(copy.deepcopy(found[0]))

    return change


def changed(*changes) -> bytes:
    root = etree.fromstring(clean_xml())
    for change in changes:
        change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
