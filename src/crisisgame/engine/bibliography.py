"""The works behind the rules, by the citation keys that adjudication reasons carry."""

from __future__ import annotations

BIBLIOGRAPHY: dict[str, str] = {
    "benson2011": "Benson, B. V. (2011). Unpacking Alliances: Deterrent and Compellent Alliances and Their "
    "Relationship with Conflict, 1816-2000. Journal of Politics 73(4), 1111-1127.",
    "boulding1962": "Boulding, K. E. (1962). Conflict and Defense: A General Theory. Harper.",
    "christensen_snyder1990": "Christensen, T. J. & Snyder, J. (1990). Chain Gangs and Passed Bucks: Predicting "
    "Alliance Patterns in Multipolarity. International Organization 44(2), 137-168.",
    "fearon1995": "Fearon, J. D. (1995). Rationalist Explanations for War. International Organization 49(3), 379-414.",
    "fearon1997": "Fearon, J. D. (1997). Signaling Foreign Policy Interests: Tying Hands versus Sinking Costs. "
    "Journal of Conflict Resolution 41(1), 68-90.",
    "glaser_kaufmann1998": "Glaser, C. L. & Kaufmann, C. (1998). What Is the Offense-Defense Balance and Can We "
    "Measure It? International Security 22(4), 44-82.",
    "jervis1978": "Jervis, R. (1978). Cooperation under the Security Dilemma. World Politics 30(2), 167-214.",
    "leeds2000": "Leeds, B. A., Long, A. G. & Mitchell, S. M. (2000). Reevaluating Alliance Reliability: Specific "
    "Threats, Specific Promises. Journal of Conflict Resolution 44(5), 686-699.",
    "leeds2002": "Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty Obligations "
    "and Provisions, 1815-1944. International Interactions 28(3), 237-260.",
    "leeds2003": "Leeds, B. A. (2003). Do Alliances Deter Aggression? The Influence of Military Alliances on the "
    "Initiation of Militarized Interstate Disputes. American Journal of Political Science 47(3), 427-439.",
    "olson_zeckhauser1966": "Olson, M. & Zeckhauser, R. (1966). An Economic Theory of Alliances. Review of "
    "Economics and Statistics 48(3), 266-279.",
    "putnam1988": "Putnam, R. D. (1988). Diplomacy and Domestic Politics: The Logic of Two-Level Games. "
    "International Organization 42(3), 427-460.",
    "richardson1960": "Richardson, L. F. (1960). Arms and Insecurity: A Mathematical Study of the Causes and "
    "Origins of War. Boxwood Press.",
    "sandler_murdoch2000": "Sandler, T. & Murdoch, J. C. (2000). On Sharing NATO Defence Burdens in the 1990s and "
    "Beyond. Fiscal Studies 21(3), 297-327.",
    "singer1972": "Singer, J. D., Bremer, S. & Stuckey, J. (1972). Capability Distribution, Uncertainty, and Major "
    "Power War, 1820-1965. In B. Russett (ed.), Peace, War, and Numbers. Sage.",
    "schweller1994": "Schweller, R. L. (1994). Bandwagoning for Profit: Bringing the Revisionist State Back In. "
    "International Security 19(1), 72-107.",
    "liberman1996": "Liberman, P. (1996). Does Conquest Pay? The Exploitation of Occupied Industrial Societies. "
    "Princeton University Press.",
    "quinlivan1995": "Quinlivan, J. T. (1995). Force Requirements in Stability Operations. Parameters 25(4), 59-69.",
    "devereux_smith2007": "Devereux, M. B. & Smith, G. W. (2007). Transfer Problem Dynamics: Macroeconomics of "
    "the Franco-Prussian War Indemnity. Journal of Monetary Economics 54(8), 2375-2398.",
    "snyder1984": "Snyder, G. H. (1984). The Security Dilemma in Alliance Politics. World Politics 36(4), 461-495.",
    "snyder1997": "Snyder, G. H. (1997). Alliance Politics. Cornell University Press.",
    "walt1987": "Walt, S. M. (1987). The Origins of Alliances. Cornell University Press.",
    "weitsman2004": "Weitsman, P. A. (2004). Dangerous Alliances: Proponents of Peace, Weapons of War. "
    "Stanford University Press.",
    "thompson2006": "Thompson, A. (2006). Coercion through IOs: The Security Council and the Logic of Information "
    "Transmission. International Organization 60(1), 1-34.",
    "mearsheimer1989": "Mearsheimer, J. J. (1989). Assessing the Conventional Balance: The 3:1 Rule and Its "
    "Critics. International Security 13(4), 54-89.",
    "van_evera1998": "Van Evera, S. (1998). Offense, Defense, and the Causes of War. International Security 22(4), "
    "5-43.",
    "mearsheimer2001": "Mearsheimer, J. J. (2001). The Tragedy of Great Power Politics. Norton.",
    "waltz1979": "Waltz, K. N. (1979). Theory of International Politics. Addison-Wesley.",
    "leeds_savun2007": "Leeds, B. A. & Savun, B. (2007). Terminating Alliances: Why Do States Abrogate "
    "Agreements? Journal of Politics 69(4), 1118-1132.",
    "fearon1994": "Fearon, J. D. (1994). Domestic Political Audiences and the Escalation of International Disputes. "
    "American Political Science Review 88(3), 577-592.",
    "weeks2008": "Weeks, J. L. (2008). Autocratic Audience Costs: Regime Type and Signaling Resolve. International "
    "Organization 62(1), 35-64.",
    "tomz2007": "Tomz, M. (2007). Domestic Audience Costs in International Relations: An Experimental Approach. "
    "International Organization 61(4), 821-840.",
    "keohane1984": "Keohane, R. O. (1984). After Hegemony: Cooperation and Discord in the World Political Economy. "
    "Princeton University Press.",
    "voeten2005": "Voeten, E. (2005). The Political Origins of the UN Security Council's Ability to Legitimize the "
    "Use of Force. International Organization 59(3), 527-557.",
    "hirschman1945": "Hirschman, A. O. (1945). National Power and the Structure of Foreign Trade. University of "
    "California Press.",
    "drezner1999": "Drezner, D. W. (1999). The Sanctions Paradox: Economic Statecraft and International Relations. "
    "Cambridge University Press.",
    "hufbauer2007": "Hufbauer, G. C., Schott, J. J., Elliott, K. A. & Oegg, B. (2007). Economic Sanctions "
    "Reconsidered, 3rd ed. Peterson Institute for International Economics.",
    "wendt1999": "Wendt, A. (1999). Social Theory of International Politics. Cambridge University Press.",
    "jervis1989": "Jervis, R. (1989). The Meaning of the Nuclear Revolution: Statecraft and the Prospect of "
    "Armageddon. Cornell University Press.",
    "snyder1965": "Snyder, G. H. (1965). The Balance of Power and the Balance of Terror. In P. Seabury (ed.), "
    "The Balance of Power, 184-201. Chandler.",
    "sagan1996": "Sagan, S. D. (1996). Why Do States Build Nuclear Weapons? Three Models in Search of a Bomb. "
    "International Security 21(3), 54-86.",
    "sechser_fuhrmann2017": "Sechser, T. S. & Fuhrmann, M. (2017). Nuclear Weapons and Coercive Diplomacy. "
    "Cambridge University Press.",
    "cancian2023": "Cancian, M. F., Cancian, M. & Heginbotham, E. (2023). The First Battle of the Next War: "
    "Wargaming a Chinese Invasion of Taiwan. Center for Strategic and International Studies.",
    "schelling1966": "Schelling, T. C. (1966). Arms and Influence. Yale University Press.",
}
