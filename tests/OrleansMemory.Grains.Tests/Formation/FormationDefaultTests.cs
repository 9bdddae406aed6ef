using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>The silo-wide formation default (<see cref="MemoryFormationOptions.Default"/>) through the cluster client: a
/// conversation without settings forms for the user its appends name, its own settings win, turning it off sticks, and all
/// of it survives a restart of the cluster on the same file storage.</summary>
public sealed class FormationDefaultTests
{
    private static Task<MemoryCluster> StartAsync(string directory, string extractor = FormationSettings.RulesExtractor) =>
        MemoryCluster.StartAsync(StorageKind.File, directory,
            configure: o =>
            {
                o.Formation.RetryDelay = TimeSpan.FromMilliseconds(50);
                o.Formation.Default = new FormationDefaultOptions { Extractor = extractor };
            },
            services: s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new AiIntegrationTests.BagOfWordsGenerator()));

    private static RawMessage User(string text) => new("", MessageRoles.User, text);

    [Fact]
    public async Task Appends_naming_the_user_turn_the_default_on_own_settings_win_and_off_sticks_across_a_restart()
    {
        var directory = MemoryCluster.NewDirectory();
        try
        {
            await using (var cluster = await StartAsync(directory))
            {
                var talk = cluster.Factory.GetGrain<IConversationGrain>("t1/talk");
                var armed = await talk.GetFormationAsync();
                Assert.Equal(((string?)null, "rules", FormationStatus.DefaultSetting, 0L), (armed!.UserId, armed.Extractor, armed.Setting, armed.Pending));
                await talk.AppendMessagesAsync([User("I live in Lisbon.")]); // no user named yet: nothing is formed
                Assert.Equal(((string?)null, 0L), ((await talk.GetFormationAsync())!.UserId, (await talk.GetFormationAsync())!.Pending));

                await talk.AppendMessagesForUserAsync("t1/alice", [User("hi! btw I'm allergic to peanuts")]);
                var formed = await FormationTests.DrainedAsync(talk);
                Assert.Equal(("t1/alice", FormationStatus.DefaultSetting, 2L, 2), (formed.UserId, formed.Setting, formed.FormedThrough, formed.MemoriesFormed));
                var alice = cluster.Factory.GetGrain<IUserGrain>("t1/alice");
                Assert.Equal(["I live in Lisbon.", "I'm allergic to peanuts."], (await alice.ListMemoriesAsync()).Memories.Select(m => m.Text));

                var other = await Assert.ThrowsAsync<MemoryValidationException>(() => talk.AppendMessagesForUserAsync("t1/bob", [User("I'm a pilot.")]));
                Assert.Equal("userId", other.ParamName);
                Assert.Equal(2, await talk.GetMessageCountAsync()); // refused before anything was stored

                var own = cluster.Factory.GetGrain<IConversationGrain>("t1/own");
                await own.SetFormationAsync(new FormationSettings("t1/carol"));
                await own.AppendMessagesForUserAsync("t1/carol", [User("I'm a baker.")]);
                Assert.Equal((FormationStatus.OwnSetting, 1), ((await FormationTests.DrainedAsync(own)).Setting, (await own.GetFormationAsync())!.MemoriesFormed));
                await Assert.ThrowsAsync<MemoryValidationException>(() => own.AppendMessagesForUserAsync("t1/alice", [User("I'm a pilot.")]));

                var off = cluster.Factory.GetGrain<IConversationGrain>("t1/off");
                Assert.True(await off.DisableFormationAsync()); // the default applied: now it does not
                Assert.Null(await off.GetFormationAsync());
                Assert.False(await off.DisableFormationAsync());
                await off.AppendMessagesForUserAsync("t1/dave", [User("I'm a chemist.")]);
                Assert.Null(await off.GetFormationAsync());
            }

            await using (var cluster = await StartAsync(directory))
            {
                var talk = cluster.Factory.GetGrain<IConversationGrain>("t1/talk");
                var resumed = await talk.GetFormationAsync();
                Assert.Equal(("t1/alice", FormationStatus.DefaultSetting, 2L), (resumed!.UserId, resumed.Setting, resumed.FormedThrough));
                await talk.AppendMessagesAsync([User("I'm a drummer.")]); // the user is known: no need to name it again
                Assert.Equal((3L, 3), ((await FormationTests.DrainedAsync(talk)).FormedThrough, (await talk.GetFormationAsync())!.MemoriesFormed));

                Assert.Equal(FormationStatus.OwnSetting, (await cluster.Factory.GetGrain<IConversationGrain>("t1/own").GetFormationAsync())!.Setting);
                var off = cluster.Factory.GetGrain<IConversationGrain>("t1/off");
                Assert.Null(await off.GetFormationAsync());
                await off.AppendMessagesForUserAsync("t1/dave", [User("I'm a pilot.")]);
                await FormationTests.DrainedAsync(talk);
                Assert.Empty((await cluster.Factory.GetGrain<IUserGrain>("t1/dave").ListMemoriesAsync()).Memories);
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("magic", "MemoryGrainOptions.Formation.Default.Extractor must name a registered extractor: rules, llm (was 'magic').")]
    [InlineData("llm", "MemoryGrainOptions.Formation.Default.Extractor is 'llm', which needs a chat model; none is configured (OrleansMemory:ConflictClassifier: Provider, Endpoint, Model).")]
    public async Task A_default_the_silo_cannot_run_stops_startup(string extractor, string failure)
    {
        var directory = MemoryCluster.NewDirectory();
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(directory, extractor));
            Assert.Equal(failure, Assert.Single(error.Failures));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
